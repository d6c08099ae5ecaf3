"""Formats in and out (CSV, the JSON dump, markdown, Obsidian, calendar): they read and write
domain values and never call a service.
"""

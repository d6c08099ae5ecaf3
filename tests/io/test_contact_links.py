"""Email and phone are links the system opens — in the card detail and in the markdown report —
and no contact text can end its link early or add markdown of its own (issue 18)."""

from markdown_it import MarkdownIt

from pkanban.domain.contacts import contact_url
from tests.reliability.corpus import MARKDOWN, MARKUP

HOSTILE_EMAIL = "x@y.z>)[a](javascript:alert(1)) <b>bold</b>\n# heading"


def test_a_contact_becomes_a_mailto_or_tel_link_with_its_target_percent_encoded():
    assert contact_url("email", "ana@acme.com") == "mailto:ana@acme.com"
    assert contact_url("phone", "+1 (555) 010-0199") == "tel:+15550100199"
    assert contact_url("phone", "call me") is None
    assert contact_url("email", "not an address") is None
    assert not set(contact_url("email", HOSTILE_EMAIL)) & set(" <>()[]\n")


def links(markdown: str) -> list[tuple[str, str]]:
    """(href, text) of every link markdown-it finds, and the raw HTML tokens, if any."""
    found = []
    for token in MarkdownIt().parse(markdown):
        assert token.type != "html_block"
        for child in token.children or []:
            assert child.type != "html_inline"
            if child.type == "link_open":
                found.append(child.attrs["href"])
    return found


def test_the_report_links_each_contact_once_whatever_it_holds(shell):
    shell("init")
    shell("add", "Acme", "--contact", "Ana", "--email", "ana@acme.com", "--phone", "+1 555 0100")
    for number, text in enumerate([HOSTILE_EMAIL, *(MARKUP + MARKDOWN)[:20]]):
        shell("add", f"Card {number}", "--email", f"{text}@x.example", "--phone", text)

    report = shell("export", "--format", "md").output

    hrefs = links(report)
    assert "mailto:ana@acme.com" in hrefs and "tel:+15550100" in hrefs
    assert all(href.startswith(("mailto:", "tel:")) for href in hrefs)
    emails = [href for href in hrefs if href.startswith("mailto:")]
    assert len(emails) == 22  # one per card: no contact text made a second link


async def test_the_card_detail_shows_the_contact_and_m_opens_the_mail_link(
    store, today, monkeypatch
):
    from pkanban.services.cards import NewCard, add_card
    from pkanban.tui.app import PkanbanApp
    from tests.tui.conftest import screen_text, settled

    add_card(store, today, NewCard(title="Acme", contact_name="Ana", email="ana@acme.com"))
    app = PkanbanApp(store, today)
    opened = []
    monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert "Ana · ana@acme.com" in screen_text(app)
        await pilot.press("M")
        await pilot.press("P")
        await pilot.pause()
    assert opened == ["mailto:ana@acme.com"]

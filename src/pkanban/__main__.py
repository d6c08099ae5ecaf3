"""`pkanban` (the console script) and `python -m pkanban`.

The garbage collector is paused before anything is imported: the imports leave ~35,000
long-lived objects (most of them Textual's), and every collection pass during the start-up
would scan them again (~25 ms before the board appears; README, Performance). The collector
runs again once the start-up is over: for a command, when it starts (`pkanban.cli.main.cli`);
for the board, once it is drawn (`pkanban.tui.app.run_board`).
"""

import gc


def main() -> None:
    gc.disable()
    from pkanban.cli.main import main as run_command_line

    run_command_line()


if __name__ == "__main__":
    main()

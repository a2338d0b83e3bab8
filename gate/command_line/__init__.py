"""The command line's commands, flags and help texts (argparse), as `--help` shows them.

`parser.build_parser()` assembles the commands; each command's flags and help live in a
module of its own (`check`, `start`, `validate`, `combine`, `demo`), the flag groups they
share in `flags`. Every flag names its variable (`[env: CEKURA_X_Y]`) and its default;
gate/settings reads the flags and the variables into one Settings."""

"""Write benchmarks/stub_cli.py from claimtrack's own command tree.

    python benchmarks/make_stub.py > benchmarks/stub_cli.py

The stub is the start-up floor of the benchmark (see stub_cli.py): a typer app with the same
commands, arguments, options and help texts, whose commands do nothing and which imports nothing
but typer. typer builds every command of the app before it runs one, so a stub with fewer
commands than claimtrack would make every floor too low. bench.py warns when the two drift
apart; this regenerates the stub so they agree (run it after adding a command or an option).
"""

from __future__ import annotations

import sys
import textwrap

HEADER = '''"""The floor for start-up: a typer app with claimtrack's commands and options that imports nothing else.

Its `--help` is the least any typer CLI of this shape pays (typer renders help through rich), and
running one of its commands (which do nothing) is the least a command pays before its own work.
Written by benchmarks/make_stub.py from claimtrack's own commands (regenerate it after adding a
command or an option: bench.py warns when the two drift apart). Do not edit by hand.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, List, Optional

import typer

'''

TYPES = {"text": "str", "path": "Path", "integer": "int", "integer range": "int", "float": "float", "boolean": "bool",
         "choice": "str", "float range": "float"}


def _py(value) -> str:
    if value is None or callable(value):
        return "None"
    if hasattr(value, "value"):  # an Enum's default: the stub's own Enum with the same choices
        for choices, name in ENUMS.items():
            if value.value in choices:
                return f"{name}.{('v_' + value.value).replace('-', '_')}"
    return repr(value)


ENUMS: dict[tuple[str, ...], str] = {}  # the choices of a choice parameter -> the Enum class written for them


def _param(p) -> str:
    """One parameter of a stub command, as the typer annotation that makes the same click parameter."""
    kind = TYPES.get(p.type.name, "str")
    if p.type.name == "choice":
        kind = ENUMS.setdefault(tuple(p.type.choices), f"Choice{len(ENUMS)}")
    help_ = f", help={p.help!r}" if getattr(p, "help", None) else ""
    for bound in ("min", "max"):
        if getattr(p.type, bound, None) is not None:
            help_ += f", {bound}={getattr(p.type, bound)!r}"
    if p.param_type_name == "argument":
        metavar = f", metavar={p.metavar!r}" if p.metavar else ""
        if p.nargs == -1:
            annotation = f"Annotated[List[{kind}], typer.Argument({metavar[2:]}{help_})]".replace("(, ", "(")
            return f"    {p.name}: {annotation}" + ("" if p.required else " = None")
        typ = kind if p.required else f"Optional[{kind}]"
        annotation = f"Annotated[{typ}, typer.Argument({metavar[2:]}{help_})]".replace("(, ", "(")
        default = "" if p.required else f" = {_py(p.default) if kind != 'Path' else 'None'}"
        return f"    {p.name}: {annotation}{default}"
    names = ", ".join(repr(o) for o in [*p.opts, *p.secondary_opts])
    help_ += f", metavar={p.metavar!r}" if p.metavar else ""
    help_ += f", envvar={p.envvar!r}" if p.envvar else ""
    help_ += ", hidden=True" if getattr(p, "hidden", False) else ""
    if p.is_flag and not p.secondary_opts:
        return f"    {p.name}: Annotated[bool, typer.Option({names}{help_})] = {bool(p.default)!r}"
    if p.multiple:
        return f"    {p.name}: Annotated[Optional[List[{kind}]], typer.Option({names}{help_})] = None"
    default = p.default if not callable(p.default) and kind != "Path" else None
    typ = kind if default is not None else f"Optional[{kind}]"
    return f"    {p.name}: Annotated[{typ}, typer.Option({names}{help_})] = {_py(default)}"


def _command(decorator: str, name: str, cmd) -> str:
    params = [p for p in cmd.params if p.expose_value and p.name not in ("install_completion", "show_completion")]
    extra = ", no_args_is_help=True" if getattr(cmd, "no_args_is_help", False) else ""
    func = "cmd_" + (decorator.split(".")[0] + "_" if decorator != "app" else "") + name.replace("-", "_")
    doc = textwrap.indent((cmd.help or "").replace("\\", "\\\\").replace('"""', '\\"\\"\\"'), "    ").strip()
    body = ",\n".join(_param(p) for p in params)
    return (f"@{decorator}.command({name!r}{extra})\ndef {func}(\n{body}{',' if body else ''}\n) -> None:\n"
            f'    """{doc}\n    """\n')


def stub_source() -> str:
    import typer.main

    from claimtrack.cli.app import app

    root = typer.main.get_command(app)
    out = [HEADER]
    completion = any(p.name == "install_completion" for p in root.params)
    out.append(f"app = typer.Typer(\n    name='claimtrack',\n    help={root.help!r},\n    no_args_is_help=True,\n"
               f"    add_completion={completion},\n    context_settings={{'help_option_names': ['-h', '--help']}},\n"
               "    pretty_exceptions_enable=False,\n)\n")
    groups = [(n, c) for n, c in root.commands.items() if hasattr(c, "commands")]
    for name, group in groups:
        out.append(f"{name}_app = typer.Typer(help={group.help!r}, no_args_is_help=True)\n"
                   f"app.add_typer({name}_app, name={name!r})\n")
    out.append("\n\ndef _version(value: bool) -> None:\n    if value:\n        typer.echo('claimtrack 0.0.0')\n        raise typer.Exit()\n\n")
    top = [p for p in root.params if p.expose_value and p.name not in ("install_completion", "show_completion")]
    lines = [(_param(p).replace(")] = ", ", callback=_version, is_eager=True)] = ", 1) if p.name == "version" else _param(p))
             for p in top]
    out.append("\n@app.callback()\ndef main_callback(\n" + ",\n".join(lines) + ",\n) -> None:\n"
               f'    """{root.help}"""\n\n')
    commands = []
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            for sub_name, sub in cmd.commands.items():
                commands.append("\n" + _command(f"{name}_app", sub_name, sub))
        else:
            commands.append("\n" + _command("app", name, cmd))
    for choices, name in ENUMS.items():  # written before the commands that use them
        members = "".join(f"    {('v_' + c).replace('-', '_')} = {c!r}\n" for c in choices)
        out.append(f"\nclass {name}(str, Enum):\n{members}\n")
    out.extend(commands)
    out.append('\n\nif __name__ == "__main__":\n    app(prog_name="claimtrack")\n')
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(stub_source())

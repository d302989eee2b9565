"""The commands, one module each: a command parses its options, makes one call into
``smtime.request`` (or ``smtime.batch``), picks its renderer from ``renderers.WRITERS`` and
writes the result. An option only one command has is declared in that command's module; the
options commands share are in ``smtime.cli.options``.

``smtime.cli.program`` registers each command under its name and turns its errors into messages
and exit codes; a run imports only the module of the command it names.
"""

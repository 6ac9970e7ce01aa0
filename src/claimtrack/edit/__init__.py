"""Every change to a dataset, through one door.

The modules, each with one job, from the top of the layers down:

    archive.py, init.py, sourcefile.py   a source archived or its front matter edited; a new dataset
    ops.py                               the writes: small functions over one Transaction
    transaction.py                       the lock, validate-then-write-atomically, the index afterwards
    names.py                             loose names typed by a user -> ids (through resolve.py)
    yamlout.py                           the one home for writing YAML (new files and round-trip edits)
    inputs.py                            the input types and the checks that need no lock

Nothing is re-exported here: an import names the module that owns the name.
"""

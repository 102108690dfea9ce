"""Personal data: detectors per family, the public-identifier whitelist, masking.

`publisher.privacy.scanner.scan` reads a table of text columns and returns masked hits;
`publisher.checks.privacy` turns them into findings against the dataset's personal-data
declaration. `publisher.privacy.masking` has no dependency on the rest, so that findings and
codes can mask any value they show; submodules are therefore imported by name, not from here.
"""

"""Tests of the privacy scanner: detectors, whitelist, masking, declaration, quality, leaks."""

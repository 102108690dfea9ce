"""Tests of publisher.portal: client, change detection and the sandbox portal."""

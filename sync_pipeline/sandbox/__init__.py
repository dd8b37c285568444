"""Sandboxes of 24SevenOffice and Ongoing WMS: real HTTP SOAP servers for demos and tests.

The pipeline never imports this package.
"""

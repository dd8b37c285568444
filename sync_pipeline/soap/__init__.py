"""SOAP plumbing shared by the ERP and WMS clients: zeep clients, retries, error classes, values, log redaction."""

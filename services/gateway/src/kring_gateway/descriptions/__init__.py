"""The API descriptions: the merged OpenAPI 3.1 document (and `/docs`), AsyncAPI 3.0 from the
contracts."""

"""At the edge of every answer: the request id and security headers (a CSP by path), and the
staff web app's files."""

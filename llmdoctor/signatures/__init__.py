"""The one table of error signatures shared by the live checks and `explain`.

Structured signs first (errno names and numbers, OpenSSL verify codes, exception class names,
traceback frames), free text after. A new provider's error or a new client's wording is a data row
in one of these modules, not new code:

- `errnos`: socket errors by name and number on Linux, macOS and Windows, with their English and
  Chinese-locale Windows texts, and what each means at the connect step;
- `tls`: OpenSSL verify codes and reasons, and how Node, Go and curl word the same failures;
- `transport`: the signature rows `explain` matches a pasted transport error against;
- `evidence`: the single rule by which every source of evidence adds a cause.
"""

"""The federation affiliation export: profiles (columns and their headers, the membership
types, the file format), full and delta exports ("changes since the last export") and the
history of exports per profile, each with its file and the rows the federation received."""

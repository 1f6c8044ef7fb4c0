"""Finding contacts: quick search, the advanced search, batch actions on a result, saved
searches."""

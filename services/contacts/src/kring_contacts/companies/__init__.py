"""Companies: sponsors and suppliers, their linked contacts, contracts and logo."""

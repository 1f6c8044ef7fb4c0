"""Resources the club hands out and their allocations, with QR codes."""

"""Read models that several services keep of another service's topics (the domain's copies,
not plumbing: those live in kring_platform)."""

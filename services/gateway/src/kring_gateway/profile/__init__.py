"""The aggregated contact profile, gathered from every service; its route."""

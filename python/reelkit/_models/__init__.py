"""Response models, per provider."""

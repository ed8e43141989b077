"""A minimal Django project receiving Hoox and Hooked webhooks through reelkit."""

"""Forward discussion events to open article pages."""

"""Masthead: publishing, discussion, moderation and reader funding for independent news outlets."""

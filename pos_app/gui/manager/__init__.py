"""The store manager's screen: selling printed cards, card care, day close and sync."""

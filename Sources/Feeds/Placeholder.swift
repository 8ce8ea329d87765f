// Placeholder until the feeds land.

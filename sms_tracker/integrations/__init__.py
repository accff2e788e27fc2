"""What the background work reads from the other apps: reminder sources, report sections and kinds,
exports. Each module reads through its app's selectors and registers itself when imported (from
SmsTrackerConfig.ready()); the apps themselves need no change."""

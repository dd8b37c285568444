"""Jobs, schedules, sensors and alerts."""

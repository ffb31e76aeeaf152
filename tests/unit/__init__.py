"""No database: the hub, the commit order, settings, the bench parser."""

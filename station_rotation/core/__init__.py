"""Domain logic with no Qt and no database: ids, clocks, rules and errors."""

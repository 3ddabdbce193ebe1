"""History (DESIGN "History", issue #13): past month-ends, the store, and what they show."""

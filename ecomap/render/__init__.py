"""Pictures of a map: the interactive map's data, and (later) static images."""

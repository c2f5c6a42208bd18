"""The site's database backend: GeoDjango's PostGIS backend with a cheaper health check (base)."""

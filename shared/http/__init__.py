"""HTTP edge shared by every service: app factory, problem+json errors, middleware, API types."""

"""Actors: the catalogue of who can act, and their resolution in text."""

from dyadwatch.actors.catalogue import Actor, Catalogue, CatalogueError, Role, Sector

__all__ = ["Actor", "Catalogue", "CatalogueError", "Role", "Sector"]

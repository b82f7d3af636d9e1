"""Maps in and out: the export formats, and imports from our JSON, CSV, GraphML and easyNWK.

Every importer returns an :class:`~ecomap.io.base.Imported`: the map it would create, and
what the practitioner should look at before saving it (roles Ecomap does not know,
attributes with no place of their own). Nothing is saved here.
"""

"""The help requests' pages, by who uses them: residents, volunteers, the coordinators' desk,
a request's own page, programmes."""

PAGE_SIZE = 30

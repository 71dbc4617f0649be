"""News and announcements: writing, moderation and publication (`services`), the pages
(`views`, `forms`, `urls`), the RSS and Atom feeds (`feeds`), the API (`api`), the periodic
release of scheduled items (`tasks`) and the demo news (`demo`). The table is
`communications.models.news`; who may see and do what is in `communications.permissions`,
the lists in `communications.selectors`, as for the app's other sub-domains."""

"""A grant after the award: the agreement with the winner (budget lines, tranches, the
reporting schedule, amendments, versions, the DOCX) and the production calendar its
dates are counted in (`calendar`).

The models live with the app's others (`dobry.grants.models.calendar`,
`dobry.grants.models.agreements`); the services in `dobry.grants.services.agreements`; who may do what in
`dobry.grants.permissions`, as for the rest of the app."""

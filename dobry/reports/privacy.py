"""Reports keep no one's personal data: the figures are the city's. The staff member who
set a target or entered a figure is named only for the record of who did it."""

from dobry.accounts import personal_data

personal_data.not_personal(
    {
        "reports.Target.updated_by": "a staff member's work: a KPI target is the city's; "
        "setting it is in their actions",
        "reports.ReachFigure.created_by": "a staff member's work: a reach figure is the city's; "
        "entering it is in their actions",
    }
)

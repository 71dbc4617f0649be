"""The rules of a grantee's report: its sections and what each may hold (`content`), when it
is late (`deadlines`) and the figures the platform counts from its own records
(`figures`)."""

"""Reports (kinds, sections, PDF rendering, the monthly schedule) and Excel exports: the integration
layer that reads from the apps."""

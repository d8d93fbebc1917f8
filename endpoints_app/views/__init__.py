"""The endpoint registry's pages: one module per concept; views are thin (a form, a service call, render)."""

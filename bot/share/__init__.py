"""Share-your-work: the posts members share, their ranking, the weekly digest and the share form."""

"""HR's "can we trust the numbers?" pages: interviewer calibration and the bank's quality."""

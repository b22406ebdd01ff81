"""`floor demo`: a sample workshop with simulated devices and people."""

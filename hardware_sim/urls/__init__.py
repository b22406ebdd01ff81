"""pyserial URL handlers of the simulators (`sim://<name>`); registered by importing hardware_sim."""

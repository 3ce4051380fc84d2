from django.apps import AppConfig


class SimulationConfig(AppConfig):
    name = "pciplan.simulation"
    label = "simulation"
    verbose_name = "Mô phỏng"

"""The RAID levels the VM suite exercises, one row each. test_raid.py makes one group per row
(create, write with verification, reload, unload refused while open, disk pull).

To cover a new level, add its row here; the level's group and all its tests follow. The pull
test takes the last member out (for RAID 10, near layout with 2 copies, the second disk of the
last mirror pair; for RAID 5, one data/parity column).
"""


class Level:
    def __init__(self, level, members, survives_pull, data_members):
        self.level = level
        self.members = members              # member disks the test creates the drive over
        self.survives_pull = survives_pull  # still serves correct data with one member gone
        self.data_members = data_members    # members' worth of capacity: f(members)

    @property
    def name(self):
        return f"raid{self.level}"


LEVELS = [
    Level(0, members=2, survives_pull=False, data_members=lambda n: n),
    Level(1, members=2, survives_pull=True, data_members=lambda n: 1),
    Level(10, members=4, survives_pull=True, data_members=lambda n: n // 2),
    Level(5, members=3, survives_pull=True, data_members=lambda n: n - 1),
]

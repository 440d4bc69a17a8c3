"""Hand-written tables of the demo cluster: organisations, courses with modules, postings, worker trades.

These are the parts a reviewer should be able to read and judge for realism; build_demo.py turns them
into CSVs and adds the random but seeded parts (workers, batches, enrolments, placements).
All firms and institutions are synthetic; resemblance to real organisations is not intended.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The tables below are kept compact by hand (one row per line where it fits) for review.
# fmt: off

STATE = "Maharashtra"


def _words(text: str) -> list[str]:
    """Split a space-separated word list (names are easier to review as running text)."""
    return text.split()

CLUSTER = {
    "cluster_id": "chakan-auto",
    "name": "Chakan auto-components cluster",
    "state": STATE,
    "sectors": [
        "auto components",
        "forging",
        "die casting",
        "machining",
        "sheet metal and pressings",
        "surface treatment",
        "plastics moulding",
        "industrial automation",
        "battery recycling",
        "e-waste recycling",
    ],
}


@dataclass(frozen=True)
class Org:
    """One employer or training institution of the cluster."""

    org_id: str
    kind: str
    name: str
    sector: str
    district: str
    msme_size: str = ""
    tier: str = ""
    institution_type: str = ""
    blurb: str = ""
    trades: tuple[str, ...] = ()


EMPLOYERS: list[Org] = [
    Org("EMP01", "employer", "Chakan Precision Forgings Pvt Ltd", "forging", "Pune", "large", "tier1",
        blurb="Chakan Precision Forgings makes crankshafts, connecting rods and axle beams for "
        "passenger-car and tractor OEMs from its 12-press plant in Chakan MIDC Phase II.",
        trades=("forge", "quality", "maintenance", "carbon", "stores", "safety")),
    Org("EMP02", "employer", "Indrayani Die Casters Pvt Ltd", "die casting", "Pune", "medium", "tier2",
        blurb="Indrayani Die Casters runs 18 cold-chamber HPDC cells making aluminium gearbox and "
        "motor housings for two-wheeler and EV makers.",
        trades=("diecast", "quality", "maintenance", "carbon")),
    Org("EMP03", "employer", "Sahyadri CNC Components", "machining", "Pune", "small", "tier3",
        blurb="Sahyadri CNC Components is a 60-person machining shop in Kharabwadi with turning "
        "centres and VMCs, supplying machined brackets and hubs to Tier-1 suppliers.",
        trades=("cnc", "quality", "lean")),
    Org("EMP04", "employer", "Bhima Auto Systems Ltd", "auto components", "Pune", "large", "tier1",
        blurb="Bhima Auto Systems assembles axles, steering columns and pedal boxes for passenger "
        "vehicles at its Chakan plant (IATF 16949 certified, 1,400 employees).",
        trades=("assembly", "electrical_plc", "quality", "welding", "stores", "maintenance", "lean",
                "cnc", "safety", "comm")),
    Org("EMP05", "employer", "Shivneri Sheet Metal and Pressings", "sheet metal and pressings", "Pune",
        "small", "tier2",
        blurb="Shivneri Sheet Metal and Pressings runs 25 power presses (40–400 T) and a welding "
        "line making brackets, reinforcements and seat-frame parts.",
        trades=("press", "welding", "paint")),
    Org("EMP06", "employer", "Deccan Surface Coatings", "surface treatment", "Pune", "small", "tier3",
        blurb="Deccan Surface Coatings is a job-work paint shop in Mahalunge with a CED line, a "
        "powder-coating booth and a liquid spray booth for auto and appliance parts.",
        trades=("paint", "quality")),
    Org("EMP07", "employer", "Moshi Polymers", "plastics moulding", "Pune", "small", "tier2",
        blurb="Moshi Polymers moulds interior trims, clips and connector housings on 30 injection "
        "moulding machines from 80 to 650 T.",
        trades=("plastics", "assembly", "stores")),
    Org("EMP08", "employer", "GreenCell Battery Recyclers Pvt Ltd", "battery recycling", "Ahmednagar",
        "medium", "",
        blurb="GreenCell Battery Recyclers recovers lithium, cobalt and nickel from end-of-life EV "
        "and e-rickshaw batteries at its Supa MIDC plant (registered recycler under the Battery "
        "Waste Management Rules).",
        trades=("battery", "safety", "stores")),
    Org("EMP09", "employer", "e-Cycle Deccan Recyclers", "e-waste recycling", "Pune", "small", "",
        blurb="e-Cycle Deccan Recyclers is an authorised e-waste dismantler and recycler in "
        "Ranjangaon handling IT equipment, phones and appliances.",
        trades=("ewaste", "comm")),
    Org("EMP10", "employer", "Krishna Heat Treaters", "heat treatment", "Pune", "micro", "tier3",
        blurb="Krishna Heat Treaters is a family-run job shop in Bhosari doing carburising, "
        "hardening and induction hardening of gears and shafts.",
        trades=("forge",)),
    Org("EMP11", "employer", "Satara Castings and Machining", "foundry", "Satara", "medium", "tier2",
        blurb="Satara Castings and Machining pours grey and SG iron castings (brake drums, "
        "housings) and machines them on HMCs at its Satara MIDC plant.",
        trades=("diecast", "cnc", "carbon", "maintenance")),
    Org("EMP12", "employer", "Nashik Auto Electricals", "auto electricals", "Nashik", "medium",
        "tier2",
        blurb="Nashik Auto Electricals makes wiring harnesses, switches and small electronic "
        "modules for two-wheelers and tractors at Ambad MIDC.",
        trades=("assembly", "electrical_plc", "quality", "comm")),
    Org("EMP13", "employer", "Aurangabad Transmission Gears", "gears and transmissions",
        "Chhatrapati Sambhajinagar", "medium", "tier1",
        blurb="Aurangabad Transmission Gears cuts, hardens and grinds transmission gears and "
        "shafts at Waluj MIDC for commercial-vehicle and tractor gearboxes.",
        trades=("cnc", "forge", "lean", "quality")),
    Org("EMP14", "employer", "Solapur Fabrication Works", "fabrication", "Solapur", "small", "tier3",
        blurb="Solapur Fabrication Works builds welded frames, chassis sub-assemblies and stainless "
        "process equipment.",
        trades=("welding",)),
    Org("EMP15", "employer", "Talegaon Robotics and Automation", "industrial automation", "Pune",
        "small", "",
        blurb="Talegaon Robotics and Automation builds PLC panels, robotic welding cells and IIoT "
        "retrofits for machine shops across the Pune belt.",
        trades=("electrical_plc", "welding")),
    Org("EMP16", "employer", "Ranjangaon Steel Tubes", "tubes and profiles", "Pune", "medium", "tier2",
        blurb="Ranjangaon Steel Tubes rolls ERW tubes and profiles for seat frames, exhausts and "
        "two-wheeler chassis.",
        trades=("maintenance", "stores", "welding", "press", "cnc")),
    Org("EMP17", "employer", "Vishwa Carbon Advisory LLP", "sustainability services", "Pune", "micro",
        "",
        blurb="Vishwa Carbon Advisory helps forges, foundries and machining MSMEs measure emissions "
        "and prepare EU CBAM and customer sustainability reports.",
        trades=("carbon",)),
    Org("EMP18", "employer", "Supa Lead Recyclers", "battery recycling", "Ahmednagar", "small", "",
        blurb="Supa Lead Recyclers breaks and smelts used lead-acid batteries under a state "
        "pollution control board authorisation.",
        trades=("battery", "safety")),
]

INSTITUTIONS: list[Org] = [
    Org("INS01", "institution", "Indrayani Government ITI, Chakan", "vocational training", "Pune",
        institution_type="iti"),
    Org("INS02", "institution", "Krishna Valley Polytechnic, Satara", "technical education",
        "Satara", institution_type="polytechnic"),
    Org("INS03", "institution", "KaushalPath Skills Foundation, Ahmednagar Centre",
        "skill training", "Ahmednagar", institution_type="training_partner"),
    Org("INS04", "institution", "Deccan Technical University – Smart and Sustainable Manufacturing Lab",
        "higher education", "Pune", institution_type="university"),
]


@dataclass(frozen=True)
class Module:
    """One unit of a course; skills are keys of skill_keys.SKILL_KEYS."""

    title: str
    hours: int
    skills: str
    is_bridge: bool = False


@dataclass(frozen=True)
class Course:
    """A course offered by one institution; its skills are the union of its modules' skills."""

    course_id: str
    institution_id: str
    trade: str
    title: str
    months: int
    fee_inr: int
    nsqf_level: str
    qp_code: str
    mode: str
    women_only: bool
    residential: bool
    max_batch_size: int
    modules: list[Module] = field(default_factory=list)


M = Module

COURSES: list[Course] = [
    # --- Indrayani Government ITI, Chakan (INS01)
    Course("C01", "INS01", "cnc", "CNC Operator – Turning", 6, 0, "4", "CSC/Q0110", "classroom",
           False, False, 30, [
               M("Workshop safety and measuring basics", 60, "ppe machsafe vernier drawings"),
               M("Conventional turning practice", 120, "lathe turntools"),
               M("CNC turning centre operation", 200, "cnclathe fanuc offsets cuttools"),
               M("In-process inspection and 5S", 100, "gonogo fives"),
           ]),
    Course("C02", "INS01", "cnc", "CNC Operator – VMC and Milling", 6, 0, "4", "CSC/Q0111",
           "classroom", False, False, 30, [
               M("Drawing reading and GD&T basics", 60, "drawings gdt vernier"),
               M("CNC milling fundamentals", 140, "cncmill cncprog cuttools"),
               M("VMC set-up and operation", 200, "vmc fanuc offsets holdwork"),
               M("VMC bridge for CNC lathe operators", 50, "vmc offsets cncmill", True),
               M("First-piece inspection", 50, "gonogo inspq"),
           ]),
    Course("C03", "INS01", "welding", "Welder (Fabrication) – Arc, MIG and TIG", 12, 0, "4",
           "CSC/Q0204", "classroom", False, False, 24, [
               M("Welding safety and fire prevention", 120, "ppe fireprev extinguisher"),
               M("Shielded metal arc welding", 300, "arc weldequip"),
               M("MIG/MAG welding", 320, "mig mag filler"),
               M("TIG welding", 280, "tig filler"),
               M("Gas cutting and weld inspection", 180, "oxy weldinsp drawings"),
           ]),
    Course("C04", "INS01", "maintenance", "Fitter – Industrial Maintenance", 12, 0, "4", "CSC/Q0401",
           "classroom", False, False, 30, [
               M("Fitting bench work and hand tools", 260, "handtools vernier"),
               M("Mechanical maintenance of machines", 320, "maintmech machmaint rotating"),
               M("Hydraulics and pneumatics basics", 240, "hydraulics pneumatics hydsys"),
               M("Preventive maintenance and LOTO", 180, "schedmaint loto maintrecords"),
               M("Troubleshooting practice", 100, "troubleshoot"),
           ]),
    Course("C05", "INS01", "electrical_plc", "Electrician – Industrial Wiring and Motors", 12, 0, "4",
           "ELE/Q3101", "classroom", False, False, 30, [
               M("Electrical safety and first aid", 150, "elecsafety loto firstaid"),
               M("Wiring and electrical diagrams", 350, "wiringdiag elecdiag repairwiring"),
               M("Motors, starters and drives", 400, "motors drives vfd"),
               M("Testing and fault finding", 300, "measelec testelec troubleshoot"),
           ]),
    Course("C06", "INS01", "cnc", "Turner and Grinder Operator", 9, 0, "3", "", "classroom", False,
           False, 24, [
               M("Turning on conventional lathe", 300, "lathe turntools crossslide threads"),
               M("Surface and cylindrical grinding", 280, "surfgrind cylgrind grind"),
               M("Measurement and drawing", 140, "vernier drawings tolerances"),
               M("Shop-floor safety", 80, "machsafe ppe"),
           ]),
    Course("C07", "INS01", "press", "Sheet Metal and Press Shop Operator", 3, 0, "3", "ASC/Q3502",
           "classroom", False, False, 30, [
               M("Press shop safety", 50, "machsafe ppe loto"),
               M("Power press operation", 130, "stamp punch pressdies"),
               M("Sheet metal cutting and bending", 80, "shears bend shapesheet"),
               M("Die change and inspection", 40, "changeover gonogo"),
           ]),
    Course("C08", "INS01", "forge", "Forging and Heat Treatment Operator", 3, 0, "3", "ASC/Q3601",
           "classroom", False, False, 25, [
               M("Hot forging practice", 140, "hotforge drophammer tongs forgedust"),
               M("Heat treatment furnaces", 110, "htfurnace heattreat furntemp"),
               M("Hardness testing and heat safety", 70, "hardness hightemp ppe"),
           ]),
    Course("C09", "INS01", "paint", "Spray Painter – Automotive Components", 3, 0, "3", "ASC/Q1407",
           "classroom", False, False, 25, [
               M("Surface preparation and primers", 80, "surfprep primer sandcoats"),
               M("Spray painting practice", 150, "spraytech paintgun mixpaint paintcons"),
               M("Paint quality and safety", 70, "inspaint paintsafety sds"),
           ]),
    Course("C10", "INS01", "welding", "MIG and Spot Welding – Women's Batch", 3, 0, "3", "CSC/Q0209",
           "classroom", True, False, 20, [
               M("Welding safety", 40, "ppe fireprev"),
               M("Spot welding of sheet metal", 100, "spot spotparts"),
               M("MIG welding practice", 130, "mig weldequip filler"),
               M("Visual weld inspection", 30, "weldinsp"),
           ]),
    Course("C11", "INS01", "assembly", "Assembly Line Operator – Auto Components", 3, 0, "3",
           "ASC/Q6803", "on_the_job", False, False, 40, [
               M("Assembly techniques and work instructions", 100,
                 "assytech fasten assyinstr workinstr"),
               M("Torque tools and poka-yoke", 60, "pokayoke powertools"),
               M("Line quality and 5S", 80, "lineqc fives defects"),
           ]),
    Course("C12", "INS01", "safety", "Workplace and Fire Safety for the Shop Floor", 3, 0, "3", "",
           "classroom", False, False, 40, [
               M("Hazard identification and PPE", 40, "hazards ppe hsmfg"),
               M("Fire safety and emergency response", 40, "fireprev extinguisher emergency"),
               M("First aid and incident reporting", 40, "firstaid incidents"),
           ]),
    # --- Krishna Valley Polytechnic, Satara (INS02)
    Course("C13", "INS02", "quality", "Quality Inspector – Metrology and CMM", 6, 4500, "4",
           "ASC/Q6401", "classroom", False, False, 30, [
               M("Measuring instruments and calibration", 120, "vernier precmeas calib"),
               M("GD&T and drawing reading", 90, "gdt drawings"),
               M("CMM operation", 120, "cmm metrology"),
               M("CMM bridge for manual inspectors", 40, "cmm gdt", True),
               M("Inspection reports and SPC basics", 80, "inspreport spc"),
           ]),
    Course("C14", "INS02", "electrical_plc", "Industrial Automation – PLC and SCADA", 6, 12000, "5",
           "ELE/Q7101", "blended", False, False, 24, [
               M("Sensors and actuators", 100, "sensors testsensors pneumatics"),
               M("PLC programming", 180, "plc ladder"),
               M("PLC bridge for electricians", 60, "plc ladder elecdiag", True),
               M("SCADA, HMI and drives", 140, "scada vfd autoproc"),
           ]),
    Course("C15", "INS02", "electrical_plc", "Mechatronics Technician", 12, 18000, "5", "",
           "classroom", False, False, 24, [
               M("Mechanical systems", 200, "maintmech pneumatics hydraulics"),
               M("Electrical and electronic systems", 220, "electronics elecdiag motors"),
               M("PLC and control systems", 260, "plc ctrlsys"),
               M("Robotics and mechatronic maintenance", 320,
                 "robotics maintmechatronic testmechatronic maintrobot"),
           ]),
    Course("C16", "INS02", "cnc", "CAD/CAM for CNC Programmers", 6, 15000, "5", "CSC/Q0113",
           "blended", False, False, 20, [
               M("2D and 3D CAD", 120, "cad plans2d plans3d"),
               M("CAM toolpaths", 140, "cam cncprog cuttools"),
               M("Program proving on CNC machines", 110, "cncmill cnclathe fanuc"),
               M("Fanuc to Sinumerik controller bridge", 30, "sinumerik fanuc", True),
           ]),
    Course("C17", "INS02", "maintenance", "Hydraulics and Pneumatics Maintenance", 3, 6000, "4", "",
           "classroom", False, False, 24, [
               M("Hydraulic circuits", 90, "hydraulics hydsys insthyd"),
               M("Pneumatic circuits", 70, "pneumatics instpneu"),
               M("Press hydraulics maintenance", 50, "hydpress loto"),
               M("Fault finding and records", 30, "troubleshoot maintrecords"),
           ]),
    Course("C18", "INS02", "diecast", "Die Casting and Foundry Technology", 6, 8000, "4", "ASC/Q3603",
           "classroom", False, True, 24, [
               M("Foundry basics and metallurgy", 100, "castproc metallurgy nonferrous alualloy"),
               M("HPDC machine operation", 180, "hpdc castadhesion removecast"),
               M("Die maintenance", 100, "diemaint maintmould"),
               M("Casting defects and inspection", 100, "castdetail defects shrink"),
           ]),
    Course("C19", "INS02", "cnc", "Tool Room Machinist – Grinding and EDM", 9, 9000, "4", "",
           "classroom", False, False, 20, [
               M("Precision grinding", 260, "cncgrind surfgrind cylgrind"),
               M("EDM and wire cut", 220, "edm"),
               M("Tool room metrology", 160, "precmeas flatness vernier"),
               M("Die and mould assembly", 120, "assemblemould precmetal"),
           ]),
    Course("C20", "INS02", "welding", "Robotic Welding Cell Operator", 3, 14000, "4", "", "blended",
           False, False, 16, [
               M("MIG/MAG refresher", 60, "mig mag"),
               M("Robot cell operation", 140, "robotweld setrobot hrc"),
               M("Fixtures and weld quality", 60, "weldinsp holdwork"),
           ]),
    Course("C21", "INS02", "forge", "Heat Treatment and Metallurgy Technician", 6, 7000, "4", "",
           "classroom", False, True, 24, [
               M("Metallurgy fundamentals", 120, "metallurgy metaltypes ferrous"),
               M("Furnace heat treatment", 150, "htfurnace heattreat recfurn furntemp"),
               M("Induction hardening", 80, "induction"),
               M("Hardness testing and microstructure", 70, "hardness metallog"),
           ]),
    # --- KaushalPath Skills Foundation, Ahmednagar Centre (INS03)
    Course("C22", "INS03", "battery", "Battery Recycling Technician (Lithium-ion)", 3, 0, "4",
           "SGJ/Q6607", "classroom", False, True, 25, [
               M("Battery basics and chemistry", 60, "battchem battcomp"),
               M("Safe discharge and pack dismantling", 120, "discharge packdismantle loto"),
               M("Black mass handling and storage", 60, "blackmass hwstorage"),
               M("Li-ion safety bridge for lead-acid recyclers", 30, "discharge fireprev", True),
               M("Fire safety and PPE", 30, "fireprev ppe"),
           ]),
    Course("C23", "INS03", "ewaste", "E-Waste Dismantling and Segregation Operator", 3, 0, "3",
           "SGJ/Q6601", "classroom", False, False, 30, [
               M("E-waste categories and rules", 50, "ewaste wasteregs"),
               M("Manual dismantling", 100, "dismantle pcb handtools"),
               M("Segregation, storage and records", 60, "storesorted recyclerecords epr"),
               M("Working safely with hazardous materials", 30, "coshh ppe"),
           ]),
    Course("C24", "INS03", "quality", "Women in Quality Inspection", 3, 0, "3", "ASC/Q6402",
           "classroom", True, True, 30, [
               M("Measuring instruments", 100, "vernier gonogo measinst"),
               M("Visual inspection and defects", 90, "inspq defects removedefect"),
               M("Inspection records", 60, "inspreport qcdata"),
               M("Workplace communication", 30, "comm escalate"),
           ]),
    Course("C25", "INS03", "stores", "Stores and ERP Data Entry Assistant", 3, 0, "3", "LSC/Q2305",
           "blended", False, False, 30, [
               M("Computer basics and spreadsheets", 80, "computer excel"),
               M("Stores operations", 90, "whinv stock stocklevel"),
               M("ERP data entry", 80, "erpentry erp dataentry"),
               M("Kanban and FIFO", 20, "kanban"),
           ]),
    Course("C26", "INS03", "stores", "Forklift and Material Handling Operator", 3, 3500, "3",
           "LSC/Q2308", "classroom", False, False, 20, [
               M("Forklift operation and daily checks", 100, "forklift forkliftinsp"),
               M("Loading, stacking and dispatch", 60, "loading pallets dispatch"),
               M("Warehouse safety", 40, "whsafety ppe"),
           ]),
    Course("C27", "INS03", "plastics", "Plastic Injection Moulding Operator", 3, 0, "3", "",
           "classroom", False, False, 30, [
               M("Plastics and resins", 50, "plastictypes thermoplastic"),
               M("Injection moulding machine operation", 150, "injmould plasticmc"),
               M("Mould change and part finishing", 60, "changeover finishplastic"),
               M("Moulding defects and quality", 40, "defects lineqc"),
           ]),
    Course("C28", "INS03", "assembly", "Wiring Harness Assembly Operator (Women)", 3, 0, "3",
           "ASC/Q6806", "classroom", True, True, 30, [
               M("Electrical basics", 60, "elecprinc wiringdiag"),
               M("Harness assembly", 150, "harness assyelec"),
               M("Continuity testing and inspection", 60, "testelec lineqc"),
               M("5S and safety", 30, "fives ppe"),
           ]),
    Course("C29", "INS03", "battery", "Lead-Acid Battery Recycling Safety and Operations", 3, 0, "3",
           "", "on_the_job", False, False, 20, [
               M("Lead-acid battery breaking", 80, "leadacid drainhaz battfluids"),
               M("Hazardous waste handling", 70, "hwtypes hwdispose coshh"),
               M("Health monitoring and PPE", 50, "ppe chemsafe firstaid"),
           ]),
    Course("C30", "INS03", "comm", "Shop-Floor Communication and Digital Basics", 3, 0, "2", "",
           "blended", False, False, 40, [
               M("Workplace communication", 60, "comm verbal escalate shiftcomm"),
               M("Spoken English for the shop floor", 40, "english"),
               M("Smartphone and computer basics", 50, "computer excel collab"),
           ]),
    Course("C31", "INS03", "paint", "Powder Coating and CED Line Operator", 3, 0, "3", "", "classroom",
           False, False, 25, [
               M("Pre-treatment and phosphating", 70, "phosphate surfprep chemsafe"),
               M("CED line operation", 90, "ced coatspec"),
               M("Powder coating", 84, "powder drycoat"),
               M("Powder coating bridge for spray painters", 36, "powder coatmc", True),
           ]),
    Course("C32", "INS03", "welding", "TIG Welding for Stainless Steel and Aluminium", 3, 5000, "4",
           "CSC/Q0210", "classroom", False, False, 16, [
               M("TIG welding bridge for MIG welders", 40, "tig filler weldinsp", True),
               M("TIG on stainless steel", 130, "tig joinmetals"),
               M("TIG on aluminium", 90, "tig alualloy"),
               M("Weld inspection and drawings", 40, "weldinsp drawings"),
           ]),
    Course("C33", "INS03", "lean", "Lean Shop-Floor Practices – 5S, Kaizen and TPM", 3, 2000, "4", "",
           "blended", False, False, 30, [
               M("5S and visual workplace", 40, "fives cleanliness"),
               M("Kaizen and problem solving", 60, "ci improve rca"),
               M("TPM and autonomous maintenance", 50, "tpm oiling machchecks"),
               M("Kanban and flow", 30, "kanban waste"),
           ]),
    Course("C34", "INS03", "cnc", "CNC Operator – Women's Batch", 6, 0, "4", "CSC/Q0110",
           "classroom", True, True, 25, [
               M("Measurement and drawing reading", 80, "vernier drawings gonogo"),
               M("CNC turning", 180, "cnclathe fanuc offsets"),
               M("VMC operation", 160, "vmc cncmill"),
               M("Shop-floor safety and 5S", 60, "machsafe fives"),
           ]),
    # --- Deccan Technical University lab (INS04)
    Course("C35", "INS04", "carbon", "CBAM and Carbon Accounting for MSMEs", 3, 18000, "6", "",
           "blended", False, False, 30, [
               M("Climate policy and CBAM basics", 24, "climate emissionstd cbam"),
               M("Scope 1 and 2 accounting", 36, "ghg meterdata energycons"),
               M("Embedded emissions of steel and aluminium parts", 30, "embedded"),
               M("CBAM bridge for quality and ESG staff", 30, "cbam excel", True),
           ]),
    Course("C36", "INS04", "electrical_plc", "Industrial IoT and Condition Monitoring", 6, 25000, "5",
           "", "blended", False, False, 20, [
               M("Sensors and data acquisition", 90, "sensors maintsensors iot"),
               M("IIoT gateways and dashboards", 120, "iiot indsw"),
               M("Predictive maintenance analytics", 100, "predictive excel"),
               M("PLC and SCADA integration", 50, "plc scada"),
           ]),
    Course("C37", "INS04", "carbon", "Energy Audit and Efficiency for Foundries and Forges", 3, 12000,
           "5", "", "blended", False, False, 25, [
               M("Energy audit method", 60, "energyaudit energycons meterdata"),
               M("Furnace and compressor efficiency", 50, "energyeff energysave furntemp"),
               M("Reporting savings", 40, "reports excel"),
           ]),
    Course("C38", "INS04", "quality", "Quality Engineering – SPC, MSA and IATF 16949 Core Tools", 6,
           20000, "6", "", "blended", False, False, 30, [
               M("SPC and process capability", 80, "spc excel"),
               M("MSA and gauge R&R", 50, "msa calib"),
               M("FMEA and control plans", 60, "fmea ppap"),
               M("IATF 16949 documentation and audits", 60, "iatf qms"),
               M("8D problem solving", 50, "eightd rca"),
           ]),
    Course("C39", "INS04", "battery", "Battery Materials and Black Mass Processing Lab", 6, 15000, "5",
           "", "classroom", False, False, 20, [
               M("Battery chemistry and storage systems", 100, "battchem storage"),
               M("Mechanical pre-treatment", 120, "blackmass recycleq"),
               M("Hydrometallurgy basics", 120, "chemproc chemmon nonferrous"),
               M("Lab safety and waste", 60, "hwtreat chemsafe"),
           ]),
    Course("C40", "INS04", "carbon", "Sustainability Reporting and ESG Data Associate", 9, 30000,
           "6", "", "online", False, False, 40, [
               M("Sustainability reporting standards", 120, "susreporting leadsus"),
               M("Environmental data and audits", 160, "envdata envreport envcomply"),
               M("Carbon accounting", 140, "ghg cbam"),
               M("Data skills for ESG reporting", 120, "excel dataproc"),
           ]),
]


@dataclass(frozen=True)
class Posting:
    """A job posting template: skills as 'key|level' tokens (level optional)."""

    employer_id: str
    trade: str
    title: str
    essential: str
    optional: str
    wage_min: int
    wage_max: int
    shift: str
    openings: int
    duties: str


P = Posting

POSTINGS: list[Posting] = [
    P("EMP01", "forge", "Forging Press Operator", "hotforge|2 forgepress|2 tongs ppe hightemp",
      "drophammer changeover", 16000, 22000, "rotating", 8,
      "Operate the 1600 T forging press for crankshaft blanks, load billets from the induction "
      "heater, handle tongs and report die wear to the shift in-charge."),
    P("EMP01", "forge", "Heat Treatment Furnace Operator", "htfurnace|2 heattreat|2 furntemp recfurn ppe",
      "hardness", 15000, 20000, "rotating", 4,
      "Run the hardening and tempering furnaces, load trays, watch temperatures and fill the "
      "furnace log every hour."),
    P("EMP01", "quality", "Quality Inspector (Forgings)", "vernier|3 gonogo|2 drawings|2 inspreport",
      "cmm hardness spc", 15000, 21000, "day", 3,
      "Inspect forgings against the control plan, check dimensions with vernier, height gauge and "
      "go/no-go gauges, and record results in the inspection report."),
    P("EMP01", "maintenance", "Maintenance Fitter – Hydraulic Presses", "hydsys|3 hydpress|2 maintmech|2 loto",
      "pneumatics troubleshoot", 18000, 26000, "rotating", 3,
      "Attend breakdowns and preventive maintenance of hydraulic trimming presses and manipulators; "
      "follow LOTO before every job."),
    P("EMP01", "carbon", "CBAM Data Associate", "cbam|2 ghg|2 excel|3 meterdata",
      "embedded energycons", 22000, 32000, "general", 1,
      "Collect furnace fuel, power and steel purchase data every month, calculate embedded emissions "
      "per part and prepare the quarterly CBAM data sheets for our EU customers."),
    P("EMP02", "diecast", "HPDC Machine Operator", "hpdc|2 castadhesion removecast ppe hightemp",
      "diemaint alualloy", 15000, 20000, "rotating", 10,
      "Operate 400–800 T cold-chamber die casting cells: ladling, die spray, part extraction and "
      "trimming; fill the shot-parameter sheet."),
    P("EMP02", "diecast", "Die Maintenance Technician", "diemaint|3 handtools loto",
      "edm precmetal", 17000, 24000, "general", 2,
      "Change, clean and polish die-casting dies, repair cores and slides, and keep the die "
      "history card up to date."),
    P("EMP02", "quality", "Casting Quality Inspector", "vernier|2 defects|2 castdetail inspreport",
      "cmm spc", 14500, 19000, "day", 3,
      "Check castings for porosity, cold shuts and flash; measure critical dimensions and segregate "
      "rejects with red tags."),
    P("EMP03", "cnc", "CNC Operator – VMC", "vmc|2 fanuc|2 offsets|2 vernier|2 drawings",
      "cncmill cuttools", 16000, 23000, "rotating", 6,
      "Load fixtures and run VMCs with Fanuc 0i control, set work offsets, change inserts and check "
      "first piece with the inspector."),
    P("EMP03", "cnc", "CNC Turner (Fanuc)", "cnclathe|3 fanuc|2 offsets|2 vernier|2",
      "cuttools gonogo", 17000, 24000, "rotating", 5,
      "Run 2-axis turning centres on hubs and flanges, correct wear offsets, and maintain SPC "
      "check sheets."),
    P("EMP03", "cnc", "CNC Setter-cum-Programmer", "cncprog|3 cnclathe|3 vmc|2 offsets|3 cuttools|2 gdt",
      "cam sinumerik", 25000, 35000, "general", 1,
      "Write and prove part programs for new parts, set up fixtures, train operators and reduce "
      "cycle time."),
    P("EMP03", "quality", "Quality Inspector (CMM)", "cmm|3 gdt|2 vernier|3 inspreport|2",
      "spc msa", 20000, 28000, "general", 2,
      "Run CMM programs for first-piece and layout inspection, interpret GD&T callouts and release "
      "inspection reports to customers."),
    P("EMP04", "assembly", "Assembly Line Operator – Axle Line", "assytech|2 fasten|2 assyinstr workinstr",
      "pokayoke fives", 13000, 16500, "rotating", 25,
      "Assemble axle sub-assemblies as per work instruction, use DC torque tools, and follow "
      "poka-yoke and 5S rules on the line."),
    P("EMP04", "electrical_plc", "PLC Maintenance Technician", "plc|2 ladder|2 elecdiag|2 troubleshoot|2 loto",
      "scada vfd sensors", 22000, 32000, "rotating", 4,
      "Troubleshoot PLC-controlled assembly stations, sensors and servo drives; modify ladder "
      "logic under supervision and log every breakdown in CMMS."),
    P("EMP04", "quality", "Line Quality Inspector", "lineqc|2 vernier|2 gonogo defects",
      "spc iatf", 14500, 19000, "rotating", 6,
      "Do patrol inspection on the assembly line, verify torque and dimensions, and stop the line "
      "for any non-conformance."),
    P("EMP04", "welding", "Robotic Welding Cell Operator", "robotweld|2 mig|2 weldinsp hrc",
      "setrobot", 18000, 25000, "rotating", 4,
      "Load and unload fixtures on MIG robot cells, change contact tips and nozzles, touch up "
      "programs and do visual weld checks."),
    P("EMP04", "stores", "Stores Assistant (SAP)", "erpentry|2 whinv stock kanban",
      "forklift excel", 14000, 18000, "general", 3,
      "Receive material, post GRN and issues in SAP, run the kanban supermarket for the line and "
      "do cycle counts."),
    P("EMP04", "quality", "Supplier Quality Engineer – Trainee", "ppap|2 fmea spc|2 iatf",
      "eightd msa cmm", 25000, 35000, "general", 2,
      "Review supplier PPAP files, follow up 8D reports for supplier defects and support process "
      "audits at Tier-2 suppliers."),
    P("EMP04", "electrical_plc", "Electrical Maintenance Technician", "maintelec|3 motors|2 vfd|2 elecsafety loto",
      "plc", 20000, 28000, "rotating", 3,
      "Maintain motors, panels and VFDs of conveyors and test rigs; carry out thermography and PM "
      "as per schedule."),
    P("EMP04", "lean", "TPM Coordinator", "tpm|3 fives|3 ci|2 kpi",
      "improve trainsafety", 22000, 30000, "general", 1,
      "Run autonomous maintenance steps with operators, track OEE losses and lead weekly kaizen "
      "reviews."),
    P("EMP05", "press", "Power Press Operator", "stamp|2 punch machsafe ppe",
      "changeover", 13000, 16000, "rotating", 12,
      "Operate 100–400 T power presses for brackets and reinforcements; use two-hand controls and "
      "check parts against the master sample."),
    P("EMP05", "press", "Press Tool Setter", "pressdies|3 replacedie|2 changeover|2 dies",
      "gonogo", 18000, 24000, "day", 2,
      "Set and change press tools, reduce die change time, and approve first-off parts with "
      "quality."),
    P("EMP05", "welding", "Spot Welder", "spot|2 spotparts ppe weldequip",
      "mig", 13500, 17000, "rotating", 8,
      "Spot weld seat-frame brackets on pedestal and gun spot welders, check weld nuggets by chisel "
      "test."),
    P("EMP05", "welding", "MIG Welder – Brackets", "mig|2 weldequip filler ppe",
      "weldinsp drawings", 15000, 20000, "rotating", 6,
      "MIG weld bracket assemblies in fixtures and clean spatter; read simple weld symbols."),
    P("EMP06", "paint", "Powder Coating Operator", "powder|2 surfprep drycoat ppe",
      "coatspec", 13000, 17000, "rotating", 6,
      "Hang parts, spray powder with electrostatic guns, run the curing oven and check DFT."),
    P("EMP06", "paint", "CED Line Operator", "ced|2 phosphate chemsafe coatspec",
      "sds", 14000, 18500, "rotating", 4,
      "Monitor pre-treatment and CED tank parameters, add chemicals as per the lab, and record "
      "bath readings every two hours."),
    P("EMP06", "paint", "Spray Painter", "spraytech|3 paintgun|2 mixpaint paintsafety",
      "inspaint primer", 15000, 20000, "day", 3,
      "Spray primer and top coat on tractor and appliance parts; mix paint to the viscosity card."),
    P("EMP06", "quality", "Paint Quality Inspector", "inspaint|2 coatspec inspreport defects",
      "spc", 14000, 18000, "day", 2,
      "Check DFT, adhesion (cross-cut) and gloss, and record results for each lot."),
    P("EMP07", "plastics", "Injection Moulding Operator", "injmould|2 plasticmc defects ppe",
      "changeover finishplastic", 12500, 16000, "rotating", 15,
      "Run injection moulding machines, trim and pack parts, and report short shots, flash and "
      "sink marks."),
    P("EMP07", "plastics", "Mould Setter – Injection Moulding", "changeover|3 injmould|3 maintplastic",
      "troubleshoot", 18000, 24000, "rotating", 2,
      "Change moulds, set process parameters and solve moulding defects with the quality team."),
    P("EMP07", "stores", "Packing and Dispatch Assistant", "packaging dispatch stock",
      "excel forklift", 12000, 14000, "day", 5,
      "Pack moulded parts in customer bins, label lots and load trucks as per the dispatch plan."),
    P("EMP08", "battery", "Battery Dismantling Technician", "packdismantle|2 discharge|2 loto ppe fireprev",
      "battchem", 15000, 21000, "rotating", 10,
      "Discharge and dismantle EV and e-rickshaw battery packs into modules and cells; follow "
      "high-voltage isolation and thermal-event procedures."),
    P("EMP08", "battery", "Black Mass Handling Operator", "blackmass|2 hwstorage ppe coshh",
      "recycleq", 14000, 18000, "rotating", 6,
      "Operate the shredder discharge, bag and label black mass, and keep the hazardous-waste "
      "store in order."),
    P("EMP08", "safety", "EHS Officer – Battery Recycling", "hazards|3 fireprev|3 trainsafety incidents emergency",
      "hwtypes envcomply", 25000, 35000, "general", 1,
      "Run daily safety rounds, fire drills and toolbox talks; investigate incidents and keep "
      "consent-to-operate records."),
    P("EMP08", "battery", "Lab Assistant – Hydrometallurgy", "chemproc chemmon chemsafe testdata",
      "battchem nonferrous", 16000, 22000, "day", 2,
      "Prepare leach trials, take samples, record pH and temperature, and keep the lab safe."),
    P("EMP08", "stores", "EPR Documentation Executive", "epr|2 recyclerecords excel|2 dataentry",
      "wasteregs", 16000, 22000, "general", 1,
      "Maintain inward and outward registers, generate EPR certificates on the portal and reconcile "
      "weights with stores."),
    P("EMP09", "ewaste", "E-Waste Segregation Operator", "ewaste|2 dismantle sortwaste ppe",
      "pcb", 12000, 14500, "day", 20,
      "Receive, weigh and dismantle laptops, phones and appliances; sort plastics, metals, boards "
      "and batteries into marked bins."),
    P("EMP09", "ewaste", "PCB Depopulation Technician", "pcb|2 solderel elcomp coshh",
      "precious", 13500, 17000, "day", 4,
      "Remove components and connectors from circuit boards with hot-air and hand tools under fume "
      "extraction."),
    P("EMP09", "ewaste", "Recycling Supervisor", "ewaste|3 recyclerecords supwork wasteregs",
      "epr excel", 20000, 27000, "general", 1,
      "Plan the dismantling floor, supervise 30 operators and keep channelisation records ready "
      "for audits."),
    P("EMP10", "forge", "Induction Hardening Operator", "induction|2 hardness ppe",
      "heattreat", 14000, 18000, "rotating", 3,
      "Load shafts on the induction hardening machine, set programs and check hardness on every "
      "first piece."),
    P("EMP10", "forge", "Furnace Operator – Carburising", "htfurnace|2 furntemp recfurn hightemp",
      "metallurgy", 14000, 19000, "night", 2,
      "Run the sealed-quench carburising furnace on night shift and keep the furnace chart."),
    P("EMP11", "diecast", "Foundry Moulding Operator", "mixmould pourmould ppe hightemp",
      "castdetail", 13000, 17000, "rotating", 8,
      "Prepare green-sand moulds, set cores and pour iron under the supervision of the melting "
      "in-charge."),
    P("EMP11", "cnc", "CNC Operator – HMC", "hmc|2 fanuc offsets vernier",
      "cuttools", 16000, 22000, "rotating", 4,
      "Run horizontal machining centres with pallet changers on brake drums and housings."),
    P("EMP11", "carbon", "Energy and Utilities Technician", "meterdata energycons maintelec",
      "energyaudit", 17000, 23000, "general", 1,
      "Read energy meters of the cupola, induction furnace and compressors; report daily kWh per "
      "tonne and support the energy audit."),
    P("EMP12", "assembly", "Wiring Harness Assembler", "harness|2 assyelec wiringdiag",
      "testelec", 12500, 15500, "rotating", 25,
      "Route, tape and clip harnesses on assembly boards and crimp terminals as per the drawing."),
    P("EMP12", "assembly", "Harness Testing Operator", "testelec|2 harness lineqc",
      "aoi", 13500, 16500, "rotating", 6,
      "Test finished harnesses on continuity testers and record failures."),
    P("EMP12", "electrical_plc", "Electronics Repair Technician", "elcomp solderel testel",
      "electronics", 15000, 20000, "general", 2,
      "Diagnose and repair returned switch modules and controllers; keep repair records."),
    P("EMP13", "cnc", "Gear Shaping Operator", "gearshaper|2 gearratio vernier gonogo",
      "cncgrind", 15000, 20000, "rotating", 4,
      "Run gear shaping and hobbing machines and check gears with span micrometers and master "
      "gears."),
    P("EMP13", "cnc", "CNC Grinding Operator", "cncgrind|2 cylgrind precmeas",
      "flatness", 16000, 22000, "rotating", 3,
      "Run CNC cylindrical grinders on shafts, dress wheels and check size with air gauges."),
    P("EMP13", "forge", "Induction Hardening Technician", "induction|3 hardness|2 metallurgy",
      "spc", 17000, 22000, "rotating", 2,
      "Set induction hardening programs for gears, cut and etch samples to check case depth."),
    P("EMP13", "lean", "Lean Coordinator – Kaizen", "ci|3 fives|2 improve|2 kpi reports",
      "tpm sixsigma", 24000, 34000, "general", 1,
      "Lead kaizen events, value-stream maps and 5S audits across the gear shop."),
    P("EMP14", "welding", "Arc Welder", "arc|2 weldequip ppe drawings",
      "oxy", 13000, 17000, "day", 6,
      "Arc weld frames and brackets from drawings, grind and finish welds."),
    P("EMP14", "welding", "TIG Welder", "tig|3 filler|2 weldinsp drawings",
      "joinmetals", 18000, 26000, "day", 3,
      "TIG weld stainless steel tanks and aluminium brackets; pass the weld test before joining."),
    P("EMP15", "electrical_plc", "Automation Service Engineer – Trainee",
      "plc|3 ladder|2 scada sensors|2 vfd", "robotics iiot", 25000, 38000, "general", 2,
      "Commission PLC panels and robot cells at customer plants across Pune, Nashik and "
      "Aurangabad; travel required."),
    P("EMP15", "electrical_plc", "IIoT Installation Technician", "iiot|2 sensors|2 iot elecdiag",
      "excel", 20000, 28000, "general", 3,
      "Fit energy meters, vibration sensors and gateways on machines and check data on the "
      "dashboard."),
    P("EMP15", "welding", "Robot Welding Programmer", "robotweld|3 setrobot|2 mig|2 weldinsp",
      "hrc plc", 24000, 34000, "general", 1,
      "Teach and optimise MIG robot programs for customer fixtures and train operators at site."),
    P("EMP16", "maintenance", "Tube Mill Maintenance Electrician", "maintelec|2 motors drives loto",
      "plc", 18000, 25000, "rotating", 2,
      "Maintain drives, motors and panels of ERW tube mills and the HF welder."),
    P("EMP16", "stores", "Forklift Operator", "forklift|2 forkliftinsp loading whsafety",
      "dispatch", 14000, 18000, "rotating", 3,
      "Move coils and tube bundles, load trucks and do daily forklift checks."),
    P("EMP17", "carbon", "Carbon Accounting Analyst", "ghg|3 cbam|2 embedded|2 excel|3 susreporting",
      "envreport leadsus", 30000, 45000, "general", 2,
      "Build emission inventories for client forges and foundries, prepare CBAM reports and "
      "train client staff."),
    P("EMP18", "battery", "Lead-Acid Battery Breaking Operator", "leadacid|2 drainhaz ppe coshh",
      "hwdispose", 13000, 16500, "rotating", 8,
      "Drain and break used batteries, separate grids, paste and plastics, and follow blood-lead "
      "monitoring rules."),
]

# Which courses each trade leads to (first choice) and which are natural next steps.
TRADE_COURSES: dict[str, tuple[list[str], list[str]]] = {
    "cnc": (["C01", "C02", "C06", "C16", "C19", "C34"], ["C13", "C33", "C38", "C30"]),
    "welding": (["C03", "C10", "C20", "C32"], ["C12", "C33", "C32"]),
    "quality": (["C13", "C24", "C38"], ["C33", "C30", "C35"]),
    "maintenance": (["C04", "C17"], ["C05", "C33", "C36", "C12"]),
    "electrical_plc": (["C05", "C14", "C15", "C36"], ["C17", "C36", "C14"]),
    "paint": (["C09", "C31"], ["C12", "C31"]),
    "forge": (["C08", "C21"], ["C37", "C12", "C21"]),
    "diecast": (["C18"], ["C21", "C12", "C33"]),
    "press": (["C07"], ["C33", "C10", "C12"]),
    "plastics": (["C27"], ["C33", "C11", "C30"]),
    "assembly": (["C11", "C28"], ["C24", "C30", "C33"]),
    "battery": (["C22", "C29", "C39"], ["C12", "C22"]),
    "ewaste": (["C23"], ["C22", "C30", "C25"]),
    "stores": (["C25", "C26"], ["C30", "C33"]),
    "carbon": (["C35", "C37", "C40"], ["C38", "C35"]),
    "lean": (["C33"], ["C38", "C35"]),
}

# Typical skills of workers of each trade: 'key|base level' tokens, most typical first.
TRADE_SKILLS: dict[str, str] = {
    "cnc": "cnclathe|2 fanuc|2 vernier|2 offsets|2 vmc|2 drawings|2 cuttools|2 lathe|2 cncmill|1 "
    "gonogo|2 cncgrind|1 sinumerik|1 cncprog|1 turntools|2",
    "welding": "mig|2 arc|2 weldequip|2 tig|1 spot|2 oxy|2 filler|2 drawings|1 weldinsp|1 mag|2 "
    "robotweld|1 joinmetals|2",
    "quality": "vernier|3 gonogo|2 inspq|2 drawings|2 inspreport|2 defects|2 cmm|1 gdt|1 spc|1 "
    "measinst|2 lineqc|2 calib|1 iatf|1",
    "maintenance": "maintmech|2 handtools|3 hydsys|2 pneumatics|2 machmaint|2 loto|2 troubleshoot|2 "
    "rotating|2 schedmaint|1 maintelec|1 hydpress|1",
    "electrical_plc": "maintelec|2 elecdiag|2 motors|2 wiringdiag|2 plc|1 ladder|1 vfd|1 "
    "troubleshoot|2 elecsafety|2 sensors|1 scada|1 testelec|2 iiot|1",
    "paint": "spraytech|2 paintgun|2 surfprep|2 mixpaint|2 powder|1 ced|1 paintsafety|2 inspaint|1 "
    "primer|1 phosphate|1",
    "forge": "hotforge|2 forgepress|2 tongs|2 drophammer|2 htfurnace|1 heattreat|1 furntemp|1 "
    "hardness|1 induction|1 hightemp|3",
    "diecast": "hpdc|2 castadhesion|2 removecast|2 diemaint|1 pourmould|2 mixmould|2 castdetail|1 "
    "hightemp|3 alualloy|1",
    "press": "stamp|2 punch|2 pressdies|1 changeover|1 shears|2 bend|2 machsafe|2 gonogo|1",
    "plastics": "injmould|2 plasticmc|2 finishplastic|2 changeover|1 defects|2 plastictypes|1",
    "assembly": "assytech|2 fasten|2 assyinstr|2 harness|2 assyelec|1 lineqc|1 pokayoke|1 "
    "workinstr|2 powertools|1",
    "battery": "discharge|1 packdismantle|1 blackmass|1 leadacid|2 battchem|1 hwstorage|1 coshh|2 "
    "fireprev|2 loto|1 drainhaz|2",
    "ewaste": "ewaste|2 dismantle|2 sortwaste|2 pcb|1 storesorted|2 recyclerecords|1 handtools|2",
    "stores": "whinv|2 stock|2 erpentry|2 excel|2 forklift|1 kanban|1 dispatch|2 dataentry|2 "
    "packaging|2 computer|2",
    "carbon": "excel|3 ghg|1 cbam|1 energycons|1 meterdata|2 envdata|1 reports|2 computer|3 "
    "susreporting|1",
    "lean": "fives|3 ci|2 tpm|2 kanban|2 improve|2 kpi|1 rca|2 reports|2",
}

# Skills anyone on a shop floor may list.
COMMON_SKILLS = "ppe|2 fives|2 marathi|3 hindi|2 comm|2 shifts|3 excel|1 english|1 firstaid|1"

# Base monthly wage (INR) on placement by trade, before individual variation.
TRADE_WAGE: dict[str, int] = {
    "cnc": 17500, "welding": 16500, "quality": 16000, "maintenance": 18500,
    "electrical_plc": 21500, "paint": 14800, "forge": 16200, "diecast": 15600, "press": 14200,
    "plastics": 13600, "assembly": 13200, "battery": 15200, "ewaste": 12900, "stores": 14000,
    "carbon": 26000, "lean": 17000, "safety": 15000, "comm": 13000,
}

# Share of each trade among male and female workers (weights, need not sum to 1).
TRADE_WEIGHTS: dict[str, tuple[float, float]] = {
    "cnc": (0.16, 0.12), "welding": (0.13, 0.04), "quality": (0.07, 0.16),
    "maintenance": (0.10, 0.02), "electrical_plc": (0.09, 0.05), "paint": (0.05, 0.03),
    "forge": (0.07, 0.01), "diecast": (0.06, 0.02), "press": (0.06, 0.03),
    "plastics": (0.04, 0.07), "assembly": (0.05, 0.17), "battery": (0.04, 0.05),
    "ewaste": (0.02, 0.09), "stores": (0.04, 0.09), "carbon": (0.01, 0.04), "lean": (0.01, 0.01),
}

# Free-text phrases about a worker's work, by trade; {y} is filled with years of experience.
PROFILE_PHRASES: dict[str, list[str]] = {
    "cnc": [
        "{y} on CNC lathe, Fanuc control, some VMC",
        "Operated VMC with Fanuc 0i for {y}, can set work offsets and change inserts",
        "ITI Turner, {y} on conventional lathe, want to move to CNC",
        "{y} as CNC turner on hubs and flanges, do my own tool offsets",
        "Worked {y} on HMC and VMC in a Bhosari machine shop, Sinumerik and Fanuc",
        "CNC grinding operator for {y}, cylindrical and surface grinding",
    ],
    "welding": [
        "{y} MIG welding of brackets, some TIG on SS",
        "Arc and gas welder, {y} in fabrication, can read simple drawings",
        "Spot welding on seat frames for {y}",
        "{y} TIG welding of stainless tanks and aluminium",
        "Worked {y} on a MIG robot cell as loader, want to learn programming",
    ],
    "quality": [
        "{y} in final inspection, vernier, micrometer and go/no-go gauges",
        "Quality inspector for {y}, prepared inspection reports, basic SPC",
        "{y} on CMM at a machining company, can read GD&T",
        "Line inspector for {y} on an assembly line, IATF audits experience",
    ],
    "maintenance": [
        "{y} as maintenance fitter, hydraulic presses and pneumatics",
        "Breakdown and PM of CNC machines for {y}",
        "{y} maintenance helper in forging shop, LOTO trained",
    ],
    "electrical_plc": [
        "{y} as electrician, motors, starters and panel wiring",
        "Electrical maintenance for {y}, some PLC ladder logic on Siemens",
        "{y} commissioning PLC panels and VFDs",
        "Wireman for {y}, now learning SCADA and IoT sensors",
    ],
    "paint": [
        "{y} spray painting tractor parts",
        "Powder coating operator for {y}, oven and booth",
        "{y} on CED line, bath checks and loading",
    ],
    "forge": [
        "{y} on forging press as hammer man, used to heat",
        "Furnace operator for {y}, hardening and tempering",
        "{y} on induction hardening and hardness testing",
    ],
    "diecast": [
        "{y} on pressure die casting machine, aluminium housings",
        "Foundry moulding and pouring for {y}",
        "Die casting fettling and die spray for {y}",
    ],
    "press": [
        "{y} on power press, 100 to 250 ton",
        "Press shop operator for {y}, can do simple die change",
        "{y} in sheet metal shop, shearing and bending",
    ],
    "plastics": [
        "{y} on injection moulding machines, trimming and packing",
        "Moulding operator for {y}, know short shot and flash defects",
    ],
    "assembly": [
        "{y} on assembly line, torque tools and poka-yoke",
        "Wiring harness assembly for {y}",
        "{y} in sub-assembly and packing at a Tier-1 plant",
    ],
    "battery": [
        "{y} in lead-acid battery breaking unit",
        "Battery pack dismantling for {y}, e-rickshaw packs",
        "{y} handling black mass and hazardous waste store",
    ],
    "ewaste": [
        "{y} dismantling laptops and mobiles, sorting metals and plastics",
        "E-waste segregation for {y}, keep weight registers",
    ],
    "stores": [
        "{y} in stores, GRN and issue entries in SAP",
        "Stores and dispatch for {y}, forklift licence",
        "{y} data entry and stock register, Excel",
    ],
    "carbon": [
        "{y} in environment and safety department, energy data and reports",
        "Commerce graduate, {y} in MIS and Excel, interested in carbon accounting",
        "{y} preparing ESG data for customers of a forging company",
    ],
    "lean": [
        "{y} as 5S and kaizen coordinator",
        "TPM pillar member for {y}, OEE tracking",
    ],
}

PROFILE_EXTRAS = [
    "Can work in night shift.",
    "Looking for job near Chakan.",
    "Have a two-wheeler licence.",
    "Ready to relocate within Maharashtra.",
    "Prefer general shift.",
    "Want a permanent job with PF.",
    "Completed ITI, looking for apprenticeship.",
    "Can train new joiners.",
    "",
    "",
    "",
]

FEMALE_NAMES = _words(
    "Priya Pooja Snehal Sayali Ashwini Komal Pallavi Rutuja Shraddha Prajakta Vaishnavi Sakshi Kajal "
    "Neha Aarti Swati Manisha Sonali Jyoti Rupali Dipali Sunita Savita Anjali Nikita Pranali "
    "Tejaswini Mayuri Shubhangi Ankita Bhagyashree Monika Reshma Shabana Farida Rekha Kavita "
    "Sangeeta Varsha Archana Mohini Vrushali Gauri Madhuri Pushpa Lata Asha Rohini Yogita Dnyaneshwari"
)
MALE_NAMES = _words(
    "Rahul Amol Sachin Nilesh Sandeep Ganesh Mahesh Suresh Prashant Vishal Akshay Omkar Pratik Rohit "
    "Swapnil Tushar Yogesh Sagar Vikas Santosh Dattatray Kiran Ajay Vijay Sunil Ravindra Aniket "
    "Shubham Saurabh Mangesh Nitin Harshal Vaibhav Abhijit Rakesh Imran Salim Arif Ramesh Dinesh "
    "Manoj Pankaj Ravi Sanjay Shivaji Balaji Ankush Tanaji Dnyaneshwar Anil"
)
TRANS_NAMES = _words("Payal Kinnari Shabnam Zoya Disha Chandni")
SURNAMES = _words(
    "Patil Jadhav Pawar Shinde More Kale Gaikwad Deshmukh Kulkarni Joshi Deshpande Bhosale Chavan "
    "Salunkhe Kadam Mane Shirke Thorat Waghmare Kamble Sonawane Khandagale Bhalerao Lokhande Mali "
    "Dhumal Gholap Kokate Avhad Sayyad Shaikh Pathan Yadav Mishra Verma Gupta Kumbhar Lohar Sutar "
    "Ingle Bankar Gawade Wagh Zende Tambe Ghule Borate"
)

WORKER_DISTRICTS: list[tuple[str, float]] = [
    ("Pune", 0.55), ("Ahmednagar", 0.10), ("Satara", 0.08), ("Nashik", 0.07),
    ("Chhatrapati Sambhajinagar", 0.06), ("Solapur", 0.06), ("Beed", 0.03), ("Latur", 0.03),
    ("Jalna", 0.02),
]

EQUAL_OPPORTUNITY_LINES = [
    "We are an equal-opportunity employer; women and transgender candidates are encouraged to apply.",
    "Women candidates are encouraged to apply; ladies' restroom and company bus available.",
    "Equal opportunity employer. Persons with disabilities are welcome to apply.",
    "We hire on skills, not on background. Freshers with ITI can also apply.",
]

BENEFITS = [
    "PF, ESIC, canteen and company bus from Chakan Chowk.",
    "PF and ESIC, subsidised canteen, attendance bonus.",
    "PF, ESIC, two sets of uniform and safety shoes.",
    "PF, mediclaim, night-shift allowance.",
    "Stipend during probation, PF and ESIC after confirmation.",
]
# fmt: on

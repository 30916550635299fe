"""pysaml2 attribute map: SPID attribute names are used as they are (NameFormat basic)."""

SPID_ATTRIBUTES = [
    "spidCode",
    "name",
    "familyName",
    "placeOfBirth",
    "countyOfBirth",
    "dateOfBirth",
    "gender",
    "companyName",
    "registeredOffice",
    "fiscalNumber",
    "ivaCode",
    "idCard",
    "mobilePhone",
    "email",
    "address",
    "expirationDate",
    "digitalAddress",
    "domicileStreetAddress",
    "domicilePostalCode",
    "domicileMunicipality",
    "domicileProvince",
    "domicileNation",
    "companyFiscalNumber",
]

MAP = {
    "identifier": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic",
    "fro": {name: name for name in SPID_ATTRIBUTES},
    "to": {name: name for name in SPID_ATTRIBUTES},
}

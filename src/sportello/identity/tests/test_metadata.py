import shutil
import subprocess

from defusedxml import ElementTree

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
SPID = "{https://spid.gov.it/saml-extensions}"


def test_metadata_is_signed_and_has_the_spid_extensions(client, settings, tmp_path):
    response = client.get("/spid/metadata/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/samlmetadata+xml")
    root = ElementTree.fromstring(response.content)
    assert root.get("entityID") == settings.SPID_SP_ENTITY_ID

    signature = root.find(f"{DS}Signature")
    assert signature is not None
    assert signature.find(f"{DS}SignedInfo/{DS}SignatureMethod").get("Algorithm").endswith("rsa-sha256")
    # The signature verifies with the SP certificate (xmlsec1, as an IdP would).
    document = tmp_path / "metadata.xml"
    document.write_bytes(response.content)
    result = subprocess.run(
        [
            shutil.which("xmlsec1"),
            "--verify",
            "--id-attr:ID",
            "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor",
            "--pubkey-cert-pem",
            str(settings.SPID_SP_CERT_PATH),
            str(document),
        ],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    sp = root.find(f"{MD}SPSSODescriptor")
    assert sp.get("AuthnRequestsSigned") == "true"
    assert sp.get("WantAssertionsSigned") == "true"
    assert sp.find(f"{MD}KeyDescriptor").get("use") == "signing"
    acs = sp.find(f"{MD}AssertionConsumerService")
    assert acs.get("Location").endswith("/spid/acs/")
    assert acs.get("index") == "0" and acs.get("isDefault") == "true"
    assert {s.get("Location") for s in sp.findall(f"{MD}SingleLogoutService")} == {
        settings.SPID_SP_BASE_URL + "/spid/ls/"
    }
    requested = [a.get("Name") for a in sp.findall(f"{MD}AttributeConsumingService/{MD}RequestedAttribute")]
    assert "fiscalNumber" in requested and "email" in requested

    contact = root.find(f"{MD}ContactPerson[@contactType='other']")
    assert contact.find(f"{MD}Extensions/{SPID}IPACode").text == settings.SPID_SP_IPA_CODE
    assert contact.find(f"{MD}Extensions/{SPID}Public") is not None
    assert contact.find(f"{MD}EmailAddress").text == settings.SPID_SP_CONTACT_EMAIL
    assert root.find(f"{MD}Organization/{MD}OrganizationName").text == settings.SPID_SP_ORGANIZATION_NAME


def test_sp_certificate_has_the_spid_subject_fields(client, settings):
    from cryptography import x509

    client.get("/spid/metadata/")
    certificate = x509.load_pem_x509_certificate(settings.SPID_SP_CERT_PATH.read_bytes())
    subject = {attribute.oid.dotted_string: attribute.value for attribute in certificate.subject}
    assert subject["2.5.4.83"] == settings.SPID_SP_ENTITY_ID  # uri
    assert subject["2.5.4.97"] == f"PA:IT-{settings.SPID_SP_IPA_CODE}"  # organizationIdentifier
    assert subject["2.5.4.6"] == "IT"
    policies = certificate.extensions.get_extension_for_class(x509.CertificatePolicies).value
    assert "1.3.76.16.4.2.1" in {p.policy_identifier.dotted_string for p in policies}


def test_sp_certificate_of_another_entity_id_is_regenerated(settings, tmp_path):
    """A certificate left by `make run PORT=<other>` names another entity ID: outside production it is replaced."""
    from cryptography import x509

    from sportello.identity.keys import CertificateSubject, generate_key_pair
    from sportello.identity.saml_config import ensure_sp_keys

    settings.SPID_SP_KEY_PATH, settings.SPID_SP_CERT_PATH = tmp_path / "sp.key", tmp_path / "sp.crt"
    stale = CertificateSubject(
        common_name=settings.SPID_SP_ORGANIZATION_DISPLAY_NAME,
        organization_name=settings.SPID_SP_ORGANIZATION_NAME,
        entity_id="http://127.0.0.1:8123/spid/metadata/",
        organization_identifier=f"PA:IT-{settings.SPID_SP_IPA_CODE}",
        locality_name=settings.SPID_SP_LOCALITY,
    )
    generate_key_pair(settings.SPID_SP_KEY_PATH, settings.SPID_SP_CERT_PATH, subject=stale)
    old_key = settings.SPID_SP_KEY_PATH.read_bytes()

    ensure_sp_keys()
    certificate = x509.load_pem_x509_certificate(settings.SPID_SP_CERT_PATH.read_bytes())
    uri = certificate.subject.get_attributes_for_oid(x509.ObjectIdentifier("2.5.4.83"))[0].value
    assert uri == settings.SPID_SP_ENTITY_ID
    assert settings.SPID_SP_KEY_PATH.read_bytes() != old_key
    ensure_sp_keys()  # a matching pair is kept as it is
    assert certificate == x509.load_pem_x509_certificate(settings.SPID_SP_CERT_PATH.read_bytes())

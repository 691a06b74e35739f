namespace LlavaRad.Tests.Shared;

/// <summary>Subscriptions R5 Backport (R4) notification Bundles, written out by hand from the IG's examples.</summary>
public static class FhirBackportBundles
{
    public static string Handshake(string subscription) => Bundle(subscription, "handshake", 0, "");

    public static string Heartbeat(string subscription, long eventsSinceStart) => Bundle(subscription, "heartbeat", eventsSinceStart, "");

    public static string Event(string subscription, long eventNumber, string focus) => Bundle(subscription, "event-notification", eventNumber,
        $$"""
        ,{ "name": "notification-event", "part": [
            { "name": "event-number", "valueString": "{{eventNumber}}" },
            { "name": "timestamp", "valueInstant": "2024-02-05T14:30:00Z" },
            { "name": "focus", "valueReference": { "reference": "{{focus}}" } } ] }
        """,
        $$""", { "fullUrl": "{{focus}}", "request": { "method": "PUT", "url": "{{focus}}" }, "response": { "status": "200" } }""");

    private static string Bundle(string subscription, string type, long eventsSinceStart, string events, string extraEntries = "") =>
        $$"""
        {
          "resourceType": "Bundle",
          "type": "history",
          "timestamp": "2024-02-05T14:30:00Z",
          "entry": [
            {
              "fullUrl": "urn:uuid:9e41ff6d-5be6-4e6a-8b85-abd4e7f58400",
              "resource": {
                "resourceType": "Parameters",
                "meta": { "profile": ["http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4"] },
                "parameter": [
                  { "name": "subscription", "valueReference": { "reference": "{{subscription}}" } },
                  { "name": "topic", "valueCanonical": "http://example.org/SubscriptionTopic/imagingstudy-created" },
                  { "name": "status", "valueCode": "active" },
                  { "name": "type", "valueCode": "{{type}}" },
                  { "name": "events-since-subscription-start", "valueString": "{{eventsSinceStart}}" }
                  {{events}}
                ]
              },
              "request": { "method": "GET", "url": "{{subscription}}/$status" },
              "response": { "status": "200" }
            }
            {{extraEntries}}
          ]
        }
        """;
}

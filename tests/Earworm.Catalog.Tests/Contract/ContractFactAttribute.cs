using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Earworm.Catalog.Tests.Contract;

/// <summary>A fact of <see cref="CatalogContract"/>: it runs for every back end, and is skipped, with the reason, for a
/// back end whose class says it cannot run here (<see cref="BackEndAttribute"/>: its server is not installed).</summary>
[XunitTestCaseDiscoverer("Earworm.Catalog.Tests.Contract.ContractFactDiscoverer", "Earworm.Catalog.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ContractFactAttribute : FactAttribute;

/// <summary>On a contract test class: why its back end cannot run here (null when it can), from a static method of
/// <paramref name="owner"/> called <paramref name="method"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BackEndAttribute(Type owner, string method) : Attribute
{
    public string? SkipReason() => (string?)owner.GetMethod(method)!.Invoke(null, null);
}

public sealed class ContractFactDiscoverer(IMessageSink messages) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var backEnd = testMethod.TestClass.Class.ToRuntimeType().GetCustomAttributes(typeof(BackEndAttribute), inherit: true)
            .Cast<BackEndAttribute>().FirstOrDefault();
        var display = discoveryOptions.MethodDisplayOrDefault();
        var options = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (backEnd?.SkipReason() is { } reason)
            return [new XunitSkippedDataRowTestCase(messages, display, options, testMethod, reason)];
        return [new XunitTestCase(messages, display, options, testMethod)];
    }
}

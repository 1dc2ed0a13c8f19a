<%--
  Message Carbons settings (Server settings sidebar). A POST with a valid CSRF token stores the changed settings,
  which apply at once, logs them in the admin event log and redirects (POST-redirect-GET); a POST with errors
  shows the form again with what was submitted.
--%>
<%@ page contentType="text/html; charset=UTF-8" %>
<%@ page import="org.igniterealtime.openfire.plugins.carbons.CarbonsPlugin,
                 org.igniterealtime.openfire.plugins.carbons.console.SettingsForm,
                 org.igniterealtime.openfire.plugins.carbons.engine.ForgeryMode,
                 org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings,
                 org.igniterealtime.openfire.plugins.carbons.console.CarbonsAdmin,
                 org.jivesoftware.util.CookieUtils,
                 org.jivesoftware.util.ParamUtils,
                 org.jivesoftware.util.StringUtils,
                 java.util.Collections,
                 java.util.Map" %>
<%@ taglib uri="admin" prefix="admin" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/core" prefix="c" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/fmt" prefix="fmt" %>
<%@ taglib uri="http://java.sun.com/jsp/jstl/functions" prefix="fn" %>
<jsp:useBean id="webManager" class="org.jivesoftware.util.WebManager"/>
<%
    webManager.init(request, response, session, application, out);
    final CarbonsAdmin carbons = CarbonsPlugin.adminPages();
    RuleSettings shown = carbons == null ? RuleSettings.DEFAULTS : carbons.settings();
    Map<String, String> errors = Collections.emptyMap();
    String unknownGroups = "";

    if (carbons != null && "POST".equalsIgnoreCase(request.getMethod())) {
        final Cookie csrfCookie = CookieUtils.getCookie(request, "csrf");
        final String csrfParam = ParamUtils.getParameter(request, "csrf");
        if (csrfCookie == null || csrfParam == null || !csrfCookie.getValue().equals(csrfParam)) {
            errors = Collections.singletonMap("csrf", "carbons.settings.error.csrf");
        } else {
            final SettingsForm.Outcome outcome = carbons.read(field -> request.getParameter(field));
            if (outcome.valid()) {
                final Map<String, String> changes = carbons.apply(outcome.settings());
                if (!changes.isEmpty()) {
                    webManager.logEvent("Message carbons settings changed", changes.toString());
                }
                response.sendRedirect("carbons-settings.jsp?saved=" + changes.size());
                return;
            }
            errors = outcome.errors();
            unknownGroups = String.join(", ", outcome.unknownGroups());
            shown = outcome.settings();
        }
    }

    final String csrf = StringUtils.randomString(15);
    CookieUtils.setCookie(request, response, "csrf", csrf, -1);
    pageContext.setAttribute("csrf", csrf);
    pageContext.setAttribute("running", carbons != null);
    pageContext.setAttribute("errors", errors);
    pageContext.setAttribute("unknownGroups", unknownGroups);
    pageContext.setAttribute("s", shown);
    pageContext.setAttribute("d", RuleSettings.DEFAULTS);
    pageContext.setAttribute("groupsText", SettingsForm.groupsText(shown.allowedGroups()));
    pageContext.setAttribute("toggles", SettingsForm.toggles(shown));
    pageContext.setAttribute("boxes", new String[]{"carbons", "rules"});
    pageContext.setAttribute("modes", ForgeryMode.values());
%>
<html>
<head>
    <title><fmt:message key="carbons.settings.title"/></title>
    <meta name="pageID" content="carbons-settings"/>
</head>
<body>

<c:if test="${not running}">
    <admin:infoBox type="error"><fmt:message key="carbons.error.not-running"/></admin:infoBox>
</c:if>
<c:if test="${running}">

<c:choose>
    <c:when test="${not empty errors}">
        <c:forEach var="error" items="${errors}">
            <admin:infoBox type="error"><span class="error-${error.key}"><fmt:message key="${error.value}"><c:if test="${error.key == 'allowedGroups'}"><fmt:param value="${fn:escapeXml(unknownGroups)}"/></c:if></fmt:message></span></admin:infoBox>
        </c:forEach>
    </c:when>
    <c:when test="${param.saved == '0'}">
        <admin:infoBox type="success"><span id="saved"><fmt:message key="carbons.settings.unchanged"/></span></admin:infoBox>
    </c:when>
    <c:when test="${not empty param.saved}">
        <admin:infoBox type="success"><span id="saved"><fmt:message key="carbons.settings.saved"/></span></admin:infoBox>
    </c:when>
</c:choose>

<p><fmt:message key="carbons.settings.intro"/></p>

<fmt:message key="carbons.settings.on" var="on"/>
<fmt:message key="carbons.settings.off" var="off"/>

<form action="carbons-settings.jsp" method="post" id="carbons-settings">
    <input type="hidden" name="csrf" value="${csrf}"/>

    <c:forEach var="box" items="${boxes}">
        <fmt:message key="carbons.settings.box.${box}" var="boxTitle"/>
        <admin:contentBox title="${boxTitle}">
            <table cellpadding="3" cellspacing="0" border="0" class="carbons-settings">
                <c:forEach var="t" items="${toggles}">
                    <c:if test="${t.box() == box}">
                        <tr><td valign="top" width="1%"><input type="checkbox" name="${t.field()}" id="${t.field()}" value="true" ${t.checked() ? 'checked' : ''}/></td>
                            <td><label for="${t.field()}"><strong><fmt:message key="carbons.settings.${t.field()}"/></strong></label><br/>
                                <span class="jive-description"><fmt:message key="system_property.plugin.carbons.${t.field()}"/>
                                <fmt:message key="carbons.settings.default"><fmt:param value="${t.byDefault() ? on : off}"/><fmt:param value="plugin.carbons.${t.field()}"/></fmt:message></span></td></tr>
                    </c:if>
                </c:forEach>
            </table>
        </admin:contentBox>
    </c:forEach>

    <fmt:message key="carbons.settings.box.security" var="boxSecurity"/>
    <admin:contentBox title="${boxSecurity}">
        <table cellpadding="3" cellspacing="0" border="0" class="carbons-settings">
            <tr><td colspan="2"><strong><fmt:message key="carbons.settings.forgedCarbons"/></strong><br/>
                <span class="jive-description"><fmt:message key="system_property.plugin.carbons.forgedCarbons"/></span></td></tr>
            <c:forEach var="mode" items="${modes}">
                <c:set var="modeName" value="${fn:toLowerCase(mode.name())}"/>
                <tr><td valign="top" width="1%"><input type="radio" name="forgedCarbons" id="forgedCarbons-${modeName}" value="${modeName}" ${s.forgeryMode() == mode ? 'checked' : ''}/></td>
                    <td><label for="forgedCarbons-${modeName}"><fmt:message key="carbons.settings.forgedCarbons.${modeName}"/></label></td></tr>
            </c:forEach>
            <tr><td></td><td><span class="jive-description"><fmt:message key="carbons.settings.default"><fmt:param><fmt:message key="carbons.settings.forgedCarbons.${fn:toLowerCase(d.forgeryMode().name())}"/></fmt:param><fmt:param value="plugin.carbons.forgedCarbons"/></fmt:message></span></td></tr>
            <tr><td colspan="2"><label for="allowedGroups"><strong><fmt:message key="carbons.settings.allowedGroups"/></strong></label><br/>
                <input type="text" name="allowedGroups" id="allowedGroups" size="60" maxlength="4000" value="<c:out value='${groupsText}'/>"/><br/>
                <span class="jive-description"><fmt:message key="system_property.plugin.carbons.allowedGroups"/>
                <fmt:message key="carbons.settings.default"><fmt:param><fmt:message key="carbons.settings.allowedGroups.everyone"/></fmt:param><fmt:param value="plugin.carbons.allowedGroups"/></fmt:message></span></td></tr>
        </table>
    </admin:contentBox>

    <input type="submit" name="save" id="save" value="<fmt:message key='carbons.settings.save'/>"/>
</form>

</c:if>
</body>
</html>

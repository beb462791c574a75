# CPack: two Debian packages from the install components (scripts/package builds them).
#   station            /usr/bin/station and everything of cmake/Install.cmake's component station
#   station-routersim  /usr/bin/routersim and its personalities (benches without hardware, tests)
# Depends come from dpkg-shlibdeps (dpkg-dev); the maintainer scripts are packaging/deb/.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME station)
set(CPACK_PACKAGE_VENDOR "Provisioning station maintainers")
set(CPACK_PACKAGE_CONTACT "Provisioning station maintainers <maintainers@users.noreply.r-seed-2f369ff9.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL station routersim)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_STATION_PACKAGE_NAME station)
set(CPACK_DEBIAN_STATION_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_STATION_PACKAGE_SUGGESTS "station-routersim")
set(CPACK_DEBIAN_STATION_DESCRIPTION
  "bench station provisioning Sierra Wireless AirLink XR routers
Reads each router's identity over USB serial AT commands, decides its SKU
(North America or Global), pre-registers it in the right AirLink Management
Service data center and keeps every result in a local SQLite database.
Ships the SKU profiles, udev rules, systemd units (outbox push every 5
minutes, nightly rig regression), a man page and bash completion.")
set(CPACK_DEBIAN_STATION_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles
  ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
  ${PROJECT_SOURCE_DIR}/packaging/deb/postrm)

set(CPACK_DEBIAN_ROUTERSIM_PACKAGE_NAME station-routersim)
set(CPACK_DEBIAN_ROUTERSIM_DESCRIPTION
  "simulated Sierra Wireless routers for the provisioning station
routersim serves simulated AirLink XR routers' AT ports on pseudo-terminals
(personalities and faults), for trying the station without hardware and for
its tests.")

include(CPack)
